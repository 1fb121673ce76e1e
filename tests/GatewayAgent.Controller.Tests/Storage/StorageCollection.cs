namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>Tests that may use the private PostgreSQL cluster share one (started on first use).</summary>
[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "storage";
}
