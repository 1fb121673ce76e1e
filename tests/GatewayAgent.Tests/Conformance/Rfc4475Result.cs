using System.Text;

namespace GatewayAgent.Tests.Conformance;

/// <summary>What came back for one RFC 4475 message: everything the agent sent to the message's socket.</summary>
internal sealed record Rfc4475Result(string Name, string OriginalSentBy, byte[] Sent, IReadOnlyList<WireMessage> Responses, bool FenceAnswered)
{
    public IEnumerable<WireMessage> Finals => Responses.Where(r => r.IsFinal);

    /// <summary>"404 Not Found", "100 Trying, 404 Not Found", or "nothing".</summary>
    public string Summary => Responses.Count == 0 ? "nothing" : string.Join(", ", Responses.Select(r => r.StartLine));

    /// <summary>The message as sent (after the Via rewrite) and the responses, for a failure message.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("sent (top Via sent-by ").Append(OriginalSentBy).Append(" rewritten):\n").Append(Encoding.Latin1.GetString(Sent));
        foreach (var response in Responses)
        {
            text.Append("\n--- received:\n").Append(response);
        }

        return text.ToString();
    }
}
