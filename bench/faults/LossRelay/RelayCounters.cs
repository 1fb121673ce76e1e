namespace LossRelay;

/// <summary>Datagrams of one direction: passed (possibly delayed), dropped by the loss draw, dropped by a cut.</summary>
internal sealed class RelayCounters
{
    private long _passed;
    private long _dropped;
    private long _cut;

    public long Passed => Interlocked.Read(ref _passed);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long CutCount => Interlocked.Read(ref _cut);

    public void Pass() => Interlocked.Increment(ref _passed);

    public void Drop() => Interlocked.Increment(ref _dropped);

    public void Cut() => Interlocked.Increment(ref _cut);
}
