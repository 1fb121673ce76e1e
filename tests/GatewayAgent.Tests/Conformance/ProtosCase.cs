using System.Globalization;
using System.Text;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// One PROTOS c07-sip test case: an INVITE template and its teardown template, as the case file holds them
/// (<c>&lt;length&gt; SP &lt;INVITE template&gt;</c> immediately followed by <c>&lt;length&gt; SP &lt;teardown template&gt;</c>,
/// lengths in bytes).
/// </summary>
internal sealed class ProtosCase
{
    private ProtosCase(int index, byte[] invite, byte[] teardown)
    {
        Index = index;
        Invite = invite;
        Teardown = teardown;
    }

    public int Index { get; }

    public byte[] Invite { get; }

    public byte[] Teardown { get; }

    /// <summary>The text every message of case <paramref name="index"/> carries in its Call-ID, branch and From user.</summary>
    public static string Token(int index) => $"protos-{index.ToString("D4", CultureInfo.InvariantCulture)}-c";

    public static ProtosCase Parse(int index, ReadOnlySpan<byte> file)
    {
        var invite = ReadTemplate(ref file);
        var teardown = ReadTemplate(ref file);
        if (!file.IsEmpty)
        {
            throw new FormatException($"case {index}: {file.Length} bytes after the teardown template");
        }

        return new ProtosCase(index, invite, teardown);
    }

    /// <summary>The INVITE with every placeholder filled in (see <see cref="Render"/>).</summary>
    public byte[] RenderInvite(int agentPort, int localPort) => Render(Invite, agentPort, localPort);

    /// <summary>The teardown (a CANCEL) with every placeholder filled in.</summary>
    public byte[] RenderTeardown(int agentPort, int localPort) => Render(Teardown, agentPort, localPort);

    /// <summary>
    /// Fills the placeholders: &lt;To&gt; is the monitoring number at the agent (the templates write "sip:&lt;To&gt;"
    /// themselves), &lt;From&gt; the case's token at our socket (so the agent's BYE for an answered case comes to us),
    /// &lt;Call-ID&gt; and &lt;Branch-ID&gt; the case's token, &lt;CSeq&gt; 1, &lt;Teardown-Method&gt; CANCEL, and last
    /// &lt;Content-Length&gt; the length of what follows the first blank line once everything else is filled in.
    /// </summary>
    private byte[] Render(byte[] template, int agentPort, int localPort)
    {
        var token = Token(Index);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["<To>"] = $"{AgentProcess.MonitorNumber}@127.0.0.1:{agentPort}",
            ["<From>"] = $"{token}@127.0.0.1:{localPort}",
            ["<From-Address>"] = "127.0.0.1",
            ["<From-IP>"] = "127.0.0.1",
            ["<Local-Port>"] = localPort.ToString(CultureInfo.InvariantCulture),
            ["<Branch-ID>"] = token,
            ["<Call-ID>"] = token,
            ["<CSeq>"] = "1",
            ["<Teardown-Method>"] = "CANCEL",
        };
        var filled = Replace(template, values);
        var blank = filled.AsSpan().IndexOf("\r\n\r\n"u8);
        var bodyLength = blank < 0 ? 0 : filled.Length - (blank + 4);
        return Replace(filled, new Dictionary<string, string> { ["<Content-Length>"] = bodyLength.ToString(CultureInfo.InvariantCulture) });
    }

    private static byte[] Replace(byte[] template, Dictionary<string, string> values)
    {
        var keys = values.Keys.Select(k => (Key: Encoding.ASCII.GetBytes(k), Value: Encoding.ASCII.GetBytes(values[k]))).ToArray();
        using var output = new MemoryStream(template.Length + 256);
        var span = template.AsSpan();
        var copied = 0;
        for (var i = span.IndexOf((byte)'<'); i >= 0 && i < span.Length; i = NextOpen(span, i + 1))
        {
            foreach (var (key, value) in keys)
            {
                if (span[i..].StartsWith(key))
                {
                    output.Write(span[copied..i]);
                    output.Write(value);
                    copied = i + key.Length;
                    i = copied - 1;
                    break;
                }
            }
        }

        output.Write(span[copied..]);
        return output.ToArray();
    }

    private static int NextOpen(ReadOnlySpan<byte> span, int from)
    {
        if (from >= span.Length)
        {
            return -1;
        }

        var next = span[from..].IndexOf((byte)'<');
        return next < 0 ? -1 : from + next;
    }

    private static byte[] ReadTemplate(ref ReadOnlySpan<byte> file)
    {
        var space = file.IndexOf((byte)' ');
        if (space <= 0 || !int.TryParse(file[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
            file.Length < space + 1 + length)
        {
            throw new FormatException("a template must start with '<length> '");
        }

        var template = file.Slice(space + 1, length).ToArray();
        file = file[(space + 1 + length)..];
        return template;
    }
}
