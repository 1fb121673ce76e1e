namespace GatewayAgent.Testing;

/// <summary>
/// The one way tests wait: for a condition, woken by the <see cref="Changes"/> of what it reads, with a bound that only
/// stops a broken test (it is never the thing waited for). <see cref="PollAsync{T}"/> is for state that cannot announce
/// its changes (another process's HTTP API): it re-reads, still with a bound.
/// </summary>
public static class Wait
{
    /// <summary>The bound when a caller names none.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan DefaultPollEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Returns once <paramref name="condition"/> holds; re-checks it after each change of any of <paramref name="changes"/>.
    /// Throws <see cref="TimeoutException"/> naming <paramref name="what"/> (and <paramref name="detail"/>) after the bound.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, IReadOnlyList<Changes> changes, string what, TimeSpan? bound = null,
        Func<string>? detail = null)
    {
        var limit = bound ?? DefaultBound;
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            // The pulses are taken before the check, so a change between the check and the wait is not missed.
            var next = changes.Select(c => c.Next).ToArray();
            if (condition())
            {
                return;
            }

            try
            {
                await Task.WhenAny(next).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw Timeout(what, limit, detail);
            }
        }
    }

    /// <summary>Reads <paramref name="read"/> at each change until its value satisfies <paramref name="condition"/>; returns that value.</summary>
    public static async Task<T> ForAsync<T>(Func<T> read, Func<T, bool> condition, Changes changes, string what, TimeSpan? bound = null,
        Func<T, string>? describe = null)
    {
        var value = read();
        await UntilAsync(() => condition(value = read()), [changes], what, bound, () => describe?.Invoke(value) ?? $"last seen: {value}");
        return value;
    }

    /// <summary>
    /// Re-reads <paramref name="read"/> every <paramref name="every"/> (default 200 ms) until its value satisfies
    /// <paramref name="condition"/>, for state that cannot signal (another process's API); throws after <paramref name="bound"/>.
    /// </summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan bound, string what, TimeSpan? every = null)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            try
            {
                await Task.Delay(every ?? DefaultPollEvery, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw Timeout(what, bound, () => $"last seen: {value}");
            }
        }
    }

    private static TimeoutException Timeout(string what, TimeSpan bound, Func<string>? detail)
    {
        var more = detail?.Invoke();
        return new TimeoutException($"not within {bound.TotalSeconds:0.###} s: {what}{(string.IsNullOrEmpty(more) ? "" : "\n" + more)}");
    }
}
