using System.Data.Common;

namespace GatewayAgent.Controller.Storage;

/// <summary>Small ADO.NET helpers shared by the stores: parameters, scalars, nullable reads, times as Unix milliseconds.</summary>
public static class DbCommandExtensions
{
    public static DbCommand AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value switch
        {
            null => DBNull.Value,
            bool b => b ? 1L : 0L,
            int i => (long)i,
            DateTimeOffset t => t.ToUnixTimeMilliseconds(),
            _ => value,
        };
        command.Parameters.Add(parameter);
        return command;
    }

    public static DbCommand CreateCommand(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static async Task<long?> ScalarLongAsync(this DbCommand command, CancellationToken cancellationToken)
    {
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static long Long(this DbDataReader reader, int ordinal) =>
        Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public static long? NullableLong(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.Long(ordinal);

    public static bool Bool(this DbDataReader reader, int ordinal) => reader.Long(ordinal) != 0;

    public static string? NullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.Long(ordinal));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.Time(ordinal);
}
