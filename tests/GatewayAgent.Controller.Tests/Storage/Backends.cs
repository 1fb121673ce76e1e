namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>The storage backends a theory runs against: SQLite always, PostgreSQL when its binaries are installed.</summary>
public static class Backends
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { Sqlite };
            if (PostgresCluster.Available)
            {
                data.Add(Postgres);
            }

            return data;
        }
    }
}
