using System.Globalization;

namespace GatewayAgent.Testing;

/// <summary>
/// The machine's processes as /proc shows them (Linux), for stopping a whole tree and for proving that a test left
/// nothing running. An entry is a pid with its start time, so a pid reused by another process is never mistaken for it.
/// </summary>
public static class ProcessTable
{
    /// <summary>One process: its pid, its start time (clock ticks since boot) and its command line.</summary>
    public sealed record Entry(int Pid, long StartTime, string CommandLine)
    {
        /// <summary>Whether this very process (same pid, same start time) still runs (a zombie counts as gone).</summary>
        public bool IsAlive => Read(Pid) is { } now && now.StartTime == StartTime && !now.Zombie;

        public override string ToString() => $"pid {Pid}: {CommandLine}";
    }

    /// <summary>Every descendant of <paramref name="pid"/> now (children, their children...), not the process itself.</summary>
    public static IReadOnlyList<Entry> DescendantsOf(int pid)
    {
        var all = All().ToList();
        var found = new List<Entry>();
        var parents = new HashSet<int> { pid };
        bool added;
        do
        {
            added = false;
            foreach (var p in all.Where(p => parents.Contains(p.ParentPid) && !parents.Contains(p.Entry.Pid)))
            {
                parents.Add(p.Entry.Pid);
                found.Add(p.Entry);
                added = true;
            }
        }
        while (added);

        return found;
    }

    /// <summary>Every live process whose environment has <paramref name="name"/>=<paramref name="value"/> (one a test marked).</summary>
    public static IReadOnlyList<Entry> WithEnvironment(string name, string value)
    {
        var wanted = $"{name}={value}";
        return [.. All().Where(p => !p.Zombie && HasVariable(p.Entry.Pid, wanted)).Select(p => p.Entry)];
    }

    private static bool HasVariable(int pid, string wanted)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0').Contains(wanted, StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or not ours to read
        }
    }

    private static IEnumerable<(Entry Entry, int ParentPid, bool Zombie)> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } p)
            {
                yield return (p.Entry, p.ParentPid, p.Zombie);
            }
        }
    }

    private static (Entry Entry, int ParentPid, long StartTime, bool Zombie)? Read(int pid)
    {
        try
        {
            // "pid (comm) state ppid ... starttime(22nd field) ..."; comm may hold spaces and parentheses.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var start = long.Parse(fields[19], CultureInfo.InvariantCulture);
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
            return (new Entry(pid, start, commandLine), parent, start, fields[0] == "Z");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null; // exited while read
        }
    }
}
