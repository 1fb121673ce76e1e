using System.Globalization;
using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Lab;

/// <summary>
/// A line typed into the lab console; <see cref="Number"/> only for "call" (null: the site's default number);
/// <see cref="Site"/> is the node number for kill-node, start-node, cut-node and heal-node.
/// </summary>
public sealed record LabCommand(string Verb, int Site, bool On, string? Number = null)
{
    /// <summary>
    /// Parses "power 2 off", "wan 1 on", "restore 3", "call 2", "call 2 0310000002", "mails", "help", "quit"; null with
    /// an error otherwise; with <paramref name="nodes"/> controller nodes (--nodes) also "kill-node 2", "start-node 2",
    /// "cut-node 2", "heal-node 2".
    /// </summary>
    public static LabCommand? Parse(string line, int sites, out string? error, int nodes = 0)
    {
        ArgumentNullException.ThrowIfNull(line);
        error = null;
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return null;
        }

        var verb = words[0].ToLowerInvariant();
        switch (verb)
        {
            case "quit" or "exit" or "q":
                return new LabCommand("quit", 0, false);
            case "help" or "?":
                return new LabCommand("help", 0, false);
            case "mails":
                return new LabCommand("mails", 0, false);
            case "power" or "wan" when words.Length == 3:
                if (!TrySite(words[1], sites, out var site, out error))
                {
                    return null;
                }

                if (words[2] is not ("on" or "off"))
                {
                    error = $"{verb}: say on or off, not '{words[2]}'";
                    return null;
                }

                return new LabCommand(verb, site, words[2] == "on");
            case "restore" when words.Length == 2:
                return TrySite(words[1], sites, out var restored, out error) ? new LabCommand("restore", restored, true) : null;
            case "call" when words.Length is 2 or 3:
                if (!TrySite(words[1], sites, out var calling, out error))
                {
                    return null;
                }

                if (words.Length == 2)
                {
                    return new LabCommand("call", calling, false);
                }

                // Any notation of a number (03-1000-0002, +81 3 1000 0002) is the one number the edge's table keys.
                if (PhoneNumber.Normalize(words[2]) is not { } number)
                {
                    error = $"call: '{words[2]}' is not a phone number";
                    return null;
                }

                return new LabCommand("call", calling, false, number);
            case "kill-node" or "start-node" or "cut-node" or "heal-node" when words.Length == 2:
                if (nodes == 0)
                {
                    error = $"{verb}: the lab runs one controller; start it with --nodes N";
                    return null;
                }

                if (!int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var node) || node < 1 || node > nodes)
                {
                    error = $"no node '{words[1]}': nodes are 1 to {nodes}";
                    return null;
                }

                return new LabCommand(verb, node, verb is "start-node" or "heal-node");
            default:
                error = $"unknown command '{line.Trim()}' (type help)";
                return null;
        }
    }

    private static bool TrySite(string word, int sites, out int site, out string? error)
    {
        error = null;
        if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out site) && site >= 1 && site <= sites)
        {
            return true;
        }

        error = $"no site '{word}': sites are 1 to {sites}";
        return false;
    }
}
