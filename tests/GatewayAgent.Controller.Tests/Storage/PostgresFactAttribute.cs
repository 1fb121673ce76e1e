namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>A fact that is skipped, with the reason, when PostgreSQL is not installed.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresCluster.Available)
        {
            Skip = PostgresCluster.MissingReason;
        }
    }
}
