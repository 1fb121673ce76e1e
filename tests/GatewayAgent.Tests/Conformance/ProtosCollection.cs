namespace GatewayAgent.Tests.Conformance;

/// <summary>The test classes that read the unpacked PROTOS corpus (<see cref="ProtosCorpusFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class ProtosCollection : ICollectionFixture<ProtosCorpusFixture>
{
    public const string Name = "PROTOS c07-sip corpus";
}
