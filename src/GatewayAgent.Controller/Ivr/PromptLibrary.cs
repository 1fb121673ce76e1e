using System.Diagnostics.CodeAnalysis;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// Every <see cref="IvrPrompt"/>'s audio, loaded once at start from the prompt directory (Controller:Ivr:PromptDirectory):
/// <c>NAME.wav</c> (<see cref="IvrPrompts.FileName"/>), or a raw µ-law <c>NAME.ul</c> beside it. The controller ships a
/// default set of spoken Japanese prompts (tools/make-ivr-prompts.py, espeak-ng); operators replace them with studio recordings.
/// </summary>
public sealed class PromptLibrary
{
    private readonly Dictionary<IvrPrompt, PromptAudio> _audio;

    private PromptLibrary(string directory, Dictionary<IvrPrompt, PromptAudio> audio)
    {
        Directory = directory;
        _audio = audio;
    }

    /// <summary>The directory the prompts came from.</summary>
    public string Directory { get; }

    /// <summary>The audio of a prompt.</summary>
    public PromptAudio this[IvrPrompt prompt] => _audio[prompt];

    /// <summary>All prompts' audio together.</summary>
    public TimeSpan TotalDuration => TimeSpan.FromTicks(_audio.Values.Sum(a => a.Duration.Ticks));

    /// <summary>The directory as configured, relative to the controller's binary when not absolute.</summary>
    public static string Resolve(string directory) =>
        Path.IsPathRooted(directory) ? directory : Path.Combine(AppContext.BaseDirectory, directory);

    /// <summary>Loads every prompt; false with the first problem (a missing or unreadable file, named) otherwise.</summary>
    public static bool TryLoad(string directory, [NotNullWhen(true)] out PromptLibrary? library, out string error)
    {
        library = null;
        var resolved = Resolve(directory);
        if (!System.IO.Directory.Exists(resolved))
        {
            error = $"'{resolved}' is not a directory";
            return false;
        }

        var audio = new Dictionary<IvrPrompt, PromptAudio>();
        foreach (var prompt in IvrPrompts.All)
        {
            var wav = Path.Combine(resolved, IvrPrompts.FileName(prompt));
            var raw = Path.Combine(resolved, IvrPrompts.Name(prompt) + ".ul");
            var path = File.Exists(wav) ? wav : File.Exists(raw) ? raw : null;
            if (path is null)
            {
                error = $"'{wav}' is missing";
                return false;
            }

            var info = new FileInfo(path);
            if (info.Length > PromptAudio.MaxFileBytes)
            {
                error = $"'{path}' is larger than {PromptAudio.MaxFileBytes} bytes";
                return false;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = $"'{path}': {ex.Message}";
                return false;
            }

            if (!PromptAudio.TryRead(bytes, raw: path == raw, out var read, out var why))
            {
                error = $"'{path}': {why}";
                return false;
            }

            audio[prompt] = read;
        }

        library = new PromptLibrary(resolved, audio);
        error = "";
        return true;
    }
}
