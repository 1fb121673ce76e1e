using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// The audio of one IVR call, fed to its <see cref="RtpSender"/> 20 ms at a time: the queued prompts one after another,
/// silence when none is queued. A key stops the prompt and drops the queue (barge-in). Prompts are µ-law; a call that
/// negotiated PCMA gets them converted per sample.
/// </summary>
public sealed class PromptPlayer : IRtpPayloadSource
{
    private readonly Lock _gate = new();
    private readonly Queue<PromptAudio> _queue = new();
    private PromptAudio? _current;
    private int _position;
    private TaskCompletionSource _idle = NewIdle(completed: true);

    /// <summary>Samples sent from prompts (not silence) so far.</summary>
    public long PromptSamplesSent { get; private set; }

    /// <summary>Whether a prompt is playing or queued.</summary>
    public bool IsPlaying
    {
        get
        {
            lock (_gate)
            {
                return _current is not null || _queue.Count > 0;
            }
        }
    }

    /// <summary>How long the queued prompts still play.</summary>
    public TimeSpan Remaining
    {
        get
        {
            lock (_gate)
            {
                var samples = (_current?.MuLaw.Length ?? 0) - _position + _queue.Sum(p => p.MuLaw.Length);
                return TimeSpan.FromSeconds(samples / (double)G711.SampleRate);
            }
        }
    }

    /// <summary>Queues a prompt after the ones queued.</summary>
    public void Enqueue(PromptAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        lock (_gate)
        {
            _queue.Enqueue(audio);
            if (_idle.Task.IsCompleted)
            {
                _idle = NewIdle(completed: false);
            }
        }
    }

    /// <summary>Stops the prompt playing and drops the queued ones.</summary>
    public void Clear()
    {
        TaskCompletionSource idle;
        lock (_gate)
        {
            _queue.Clear();
            _current = null;
            _position = 0;
            idle = _idle;
        }

        idle.TrySetResult();
    }

    /// <summary>Completes when nothing is playing or queued (at once when idle now).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    /// <inheritdoc />
    public void Fill(G711Codec codec, Span<byte> payload)
    {
        TaskCompletionSource? becameIdle = null;
        lock (_gate)
        {
            var written = 0;
            while (written < payload.Length)
            {
                if (_current is null || _position >= _current.MuLaw.Length)
                {
                    _current = _queue.Count > 0 ? _queue.Dequeue() : null;
                    _position = 0;
                    if (_current is null)
                    {
                        break;
                    }
                }

                var take = Math.Min(payload.Length - written, _current.MuLaw.Length - _position);
                _current.MuLaw.AsSpan(_position, take).CopyTo(payload[written..]);
                _position += take;
                written += take;
            }

            PromptSamplesSent += written;
            payload[written..].Fill(G711.Silence(G711Codec.Pcmu));
            if ((_current is null || _position >= _current.MuLaw.Length) && _queue.Count == 0)
            {
                _current = null;
                becameIdle = _idle;
            }
        }

        if (codec == G711Codec.Pcma)
        {
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] = G711.LinearToALaw(G711.MuLawToLinear(payload[i]));
            }
        }

        becameIdle?.TrySetResult();
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}
