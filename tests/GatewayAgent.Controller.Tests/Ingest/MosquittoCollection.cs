namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>Tests that start mosquitto processes run one after another (each on its own free port).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MosquittoCollection
{
    public const string Name = "mosquitto";
}
