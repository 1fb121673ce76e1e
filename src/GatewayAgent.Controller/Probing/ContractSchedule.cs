namespace GatewayAgent.Controller.Probing;

/// <summary>One contract's place in the schedule. Guarded by the scheduler's lock.</summary>
internal sealed class ContractSchedule
{
    public ContractSchedule(ProbeTarget target, double phase)
    {
        Target = target;
        Phase = phase;
    }

    public long ContractId => Target.ContractId;

    public ProbeTarget Target { get; set; }

    /// <summary>Stable position within the interval, in [0, 1): the same for this contract on every run.</summary>
    public double Phase { get; }

    /// <summary>The generation of the one queue entry that is valid for this contract; older entries are skipped.</summary>
    public long Generation { get; set; }

    /// <summary>Probes of this contract dialling or waiting for their canary verdict or their record.</summary>
    public int InFlight { get; set; }

    /// <summary>A probe of this contract is in flight: a normal probe waits for it (one at a time).</summary>
    public bool Busy => InFlight > 0;

    /// <summary>A probe fell due while it had to wait (see <see cref="Busy"/>): place it as soon as one is recorded.</summary>
    public bool Pending { get; set; }

    /// <summary>The dying-gasp cause while fast probing (power.lost, wan.down, offline), else null.</summary>
    public string? FastCause { get; set; }

    /// <summary>Fast probes recorded since the trigger.</summary>
    public int FastProbes { get; set; }

    /// <summary>Fast probes in a row that reached the site, the last one included (see <see cref="FastPhase"/>).</summary>
    public int FastAnswers { get; set; }
}
