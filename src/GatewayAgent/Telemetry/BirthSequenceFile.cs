using System.Text.Json;

namespace GatewayAgent.Telemetry;

/// <summary>
/// The persisted bdSeq (birth.json beside the spool): each MQTT session the agent starts gets the next number, in its
/// birth and in its Last Will, so a consumer can tell which session a will ends — across restarts too.
/// </summary>
public sealed class BirthSequenceFile
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private long _last;
    private bool _unsaved;

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

    /// <summary>True while the last committed bdSeq is in memory only (its save failed: a full or read-only disk).</summary>
    public bool Unsaved => Volatile.Read(ref _unsaved);

    /// <summary>
    /// The session with <paramref name="bdSeq"/> connected: keep it, and store it (fsynced) before the birth goes out.
    /// A save that fails (a full disk) does not stop the session (issue 12 item 5): the bdSeq is kept in memory, the
    /// failure returned, and <see cref="TrySaveAgain"/> retries. Should the agent restart before a save succeeds, it
    /// announces a lower bdSeq, which the controller accepts after the will of this session.
    /// </summary>
    /// <returns>Null when saved; otherwise the error.</returns>
    public Exception? Commit(long bdSeq)
    {
        Volatile.Write(ref _last, bdSeq);
        Volatile.Write(ref _unsaved, true);
        return TrySaveAgain();
    }

    /// <summary>Saves the bdSeq kept in memory when an earlier save failed; null when saved (or nothing was pending).</summary>
    public Exception? TrySaveAgain()
    {
        lock (_gate)
        {
            if (!Volatile.Read(ref _unsaved))
            {
                return null;
            }

            try
            {
                var temp = _path + ".tmp";
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    JsonSerializer.Serialize(stream, new BirthSequenceState(Last), SpoolJsonContext.Default.BirthSequenceState);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, _path, overwrite: true);
                Volatile.Write(ref _unsaved, false);
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ex;
            }
        }
    }
}
