using System.Text;

namespace GatewayAgent.Tests.Conformance;

/// <summary>Reading and filling in the PROTOS templates, without an agent.</summary>
[Collection(ProtosCollection.Name)]
[Trait("Ring", "integration")]
public sealed class ProtosCaseTests
{
    private static readonly string[] Placeholders =
        ["<To>", "<From>", "<From-Address>", "<From-IP>", "<Local-Port>", "<Branch-ID>", "<Call-ID>", "<CSeq>", "<Teardown-Method>", "<Content-Length>"];

    private readonly ProtosCorpusFixture _fixture;

    public ProtosCaseTests(ProtosCorpusFixture fixture) => _fixture = fixture;

    [Fact]
    public void ValidCase_RendersToAWellFormedInviteAndCancel()
    {
        var valid = _fixture.Corpus.Read(0);

        var invite = Encoding.Latin1.GetString(valid.RenderInvite(agentPort: 5070, localPort: 40000));
        var cancel = Encoding.Latin1.GetString(valid.RenderTeardown(agentPort: 5070, localPort: 40000));

        var body = invite[(invite.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.StartsWith("INVITE sip:0312345678@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK00000protos-0000-c\r\n", invite, StringComparison.Ordinal);
        Assert.Contains("\r\nFrom: 0 <sip:protos-0000-c@127.0.0.1:40000>;tag=0\r\n", invite, StringComparison.Ordinal);
        Assert.Contains("\r\nCall-ID: protos-0000-c@127.0.0.1\r\nCSeq: 1 INVITE\r\n", invite, StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {body.Length}\r\n\r\nv=0\r\n", invite, StringComparison.Ordinal);
        Assert.Contains("\r\nc=IN IP4 127.0.0.1\r\n", body, StringComparison.Ordinal);
        Assert.StartsWith("CANCEL sip:0312345678@127.0.0.1:5070 SIP/2.0\r\n", cancel, StringComparison.Ordinal);
        Assert.Contains("\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n", cancel, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCase_ParsesAndLeavesNoPlaceholder()
    {
        var corpus = _fixture.Corpus;
        for (var index = 0; index < ProtosCorpus.CaseCount; index++)
        {
            var protosCase = corpus.Read(index);
            foreach (var message in new[] { protosCase.RenderInvite(5070, 40000), protosCase.RenderTeardown(5070, 40000) })
            {
                var text = Encoding.Latin1.GetString(message);
                Assert.DoesNotContain(Placeholders, p => text.Contains(p, StringComparison.Ordinal));
                Assert.Contains(ProtosCase.Token(index), text, StringComparison.Ordinal);
            }
        }
    }
}
