namespace GatewayAgent.Tests.Conformance;

/// <summary>The PROTOS corpus, unpacked once for every test class of the <see cref="ProtosCollection"/>.</summary>
public sealed class ProtosCorpusFixture : IAsyncLifetime
{
    private ProtosCorpus? _corpus;

    internal ProtosCorpus Corpus => _corpus ?? throw new InvalidOperationException("the corpus is not unpacked");

    public async Task InitializeAsync() => _corpus = await ProtosCorpus.UnpackAsync();

    public Task DisposeAsync()
    {
        _corpus?.Dispose();
        return Task.CompletedTask;
    }
}
