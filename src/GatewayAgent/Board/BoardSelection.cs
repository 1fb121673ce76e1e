using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Board;

/// <summary>The board the agent runs: its kind, whether that was chosen automatically, and the pin map file.</summary>
public sealed record BoardSelection(string Kind, bool Automatic, string PinMapPath, string? Model)
{
    public const string Sim = "sim";
    public const string RaspberryPi = "rpi";
    public const string LibGpiod = "libgpiod";

    /// <summary>Every board kind, the one list the agent, its validation and "provision --board" check against.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Sim, RaspberryPi, LibGpiod];

    /// <summary>"sim, rpi or libgpiod", for messages.</summary>
    public static string KindList => $"{string.Join(", ", Kinds.Take(Kinds.Count - 1))} or {Kinds[^1]}";

    /// <summary>Shown in status and telemetry: "sim (pinmaps/sim.json)".</summary>
    public string Description => $"{Kind} ({DisplayPath})";

    public string DisplayPath
    {
        get
        {
            var relative = Path.GetRelativePath(AppContext.BaseDirectory, PinMapPath);
            return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? PinMapPath : relative;
        }
    }

    public PinMap LoadPinMap() => PinMap.Load(PinMapPath);

    /// <summary>The libgpiod chip: Agent:Board:Chip, else the pin map's "chip", else 0.</summary>
    public static int GpioChip(BoardOptions options, PinMap pinMap)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pinMap);
        return options.Chip ?? pinMap.Chip ?? 0;
    }

    /// <summary>
    /// Why an empty Agent:Board:Kind is refused on this machine, or null when the automatic choice is a real board. The
    /// simulated board runs only when configured explicitly: chosen by default on a board that is not a Raspberry Pi,
    /// it would report simulated mains, battery and WAN from the field as if they were real (issue 12 item 6).
    /// </summary>
    public string? AutomaticRefusal => Automatic && Kind == Sim
        ? $"{BoardOptions.SectionName}:Kind is not set and this is not a Raspberry Pi (device-tree model: {(Model is { Length: > 0 } m ? $"'{m}'" : "none")}): " +
          $"set {BoardOptions.SectionName}:Kind=libgpiod (or rpi) for this board's GPIO, or {BoardOptions.SectionName}:Kind=sim for the simulated board " +
          "(a lab or a test bench: it reports simulated mains and WAN, never the site's)"
        : null;

    public static BoardSelection Resolve(BoardOptions options)
    {
        var model = ReadModel(options.DeviceTreeModel);
        var automatic = string.IsNullOrWhiteSpace(options.Kind);
        var kind = automatic
            ? model?.Contains("Raspberry Pi", StringComparison.Ordinal) == true ? RaspberryPi : Sim
            : options.Kind!;
        var defaultMap = kind switch
        {
            RaspberryPi => model?.Contains("Raspberry Pi 5", StringComparison.Ordinal) == true ? "rpi5.json" : "rpi4.json",
            LibGpiod => "libgpiod-generic.json",
            _ => "sim.json",
        };
        return new BoardSelection(kind, automatic, ResolvePinMapPath(options.PinMap, defaultMap), model);
    }

    /// <summary>
    /// An explicit path is used as given (relative to the working directory); a bare file name that is not there is
    /// looked up among the pin maps shipped beside the binary, so "--Agent:Board:PinMap=rpi5.json" works anywhere.
    /// </summary>
    private static string ResolvePinMapPath(string? configured, string defaultMap)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "pinmaps");
        if (string.IsNullOrWhiteSpace(configured))
        {
            return Path.Combine(shipped, defaultMap);
        }

        var full = Path.GetFullPath(configured);
        if (!File.Exists(full) && Path.GetFileName(configured) == configured && File.Exists(Path.Combine(shipped, configured)))
        {
            return Path.Combine(shipped, configured);
        }

        return full;
    }

    private static string? ReadModel(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).TrimEnd('\0', '\n') : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
