namespace GatewayAgent.Controller.Storage;

/// <summary>One schema step. <paramref name="Sql"/> serves every dialect unless <paramref name="PostgresSql"/> overrides it.</summary>
/// <param name="Version">Strictly increasing; recorded in schema_migrations once applied.</param>
public sealed record Migration(int Version, string Name, string Sql, string? PostgresSql = null)
{
    public string SqlFor(SqlDialect dialect) =>
        dialect.Render(dialect.Provider == StorageProvider.Postgres && PostgresSql is not null ? PostgresSql : Sql);
}
