using System.Text.Json;

namespace GatewayAgent.Telemetry;

/// <summary>
/// The persisted bdSeq (birth.json beside the spool): each MQTT session the agent starts gets the next number, in its
/// birth and in its Last Will, so a consumer can tell which session a will ends — across restarts too.
/// </summary>
public sealed class BirthSequenceFile
{
    private readonly string _path;
    private long _last;

    public BirthSequenceFile(string directory)
    {
        _path = Path.Combine(directory, "birth.json");
        if (File.Exists(_path))
        {
            try
            {
                _last = JsonSerializer.Deserialize(File.ReadAllBytes(_path), SpoolJsonContext.Default.BirthSequenceState)?.BdSeq ?? 0;
            }
            catch (JsonException)
            {
                _last = 0;
            }
        }
    }

    /// <summary>The bdSeq of the last session that connected.</summary>
    public long Last => Volatile.Read(ref _last);

    /// <summary>The bdSeq the next connection attempt announces in its will and birth.</summary>
    public long Next => Last + 1;

    /// <summary>The session with <paramref name="bdSeq"/> connected: store it (fsynced) before the birth goes out.</summary>
    public void Commit(long bdSeq)
    {
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, new BirthSequenceState(bdSeq), SpoolJsonContext.Default.BirthSequenceState);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        Volatile.Write(ref _last, bdSeq);
    }
}
