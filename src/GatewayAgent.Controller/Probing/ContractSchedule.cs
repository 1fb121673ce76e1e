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

    /// <summary>A probe of this contract is dialling or waiting for its canary verdict or its record.</summary>
    public bool Busy { get; set; }

    /// <summary>A probe fell due while one was busy: place it as soon as that one is recorded.</summary>
    public bool Pending { get; set; }

    /// <summary>The dying-gasp cause while fast probing (power.lost, wan.down, offline), else null.</summary>
    public string? FastCause { get; set; }

    /// <summary>Fast probes recorded since the trigger.</summary>
    public int FastProbes { get; set; }
}
