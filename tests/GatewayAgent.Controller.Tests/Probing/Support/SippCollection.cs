namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>Tests that start sipp processes run one at a time (the machine is small and busy).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SippCollection
{
    public const string Name = "sipp";
}
