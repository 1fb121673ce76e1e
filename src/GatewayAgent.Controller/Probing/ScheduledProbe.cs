namespace GatewayAgent.Controller.Probing;

/// <summary>A queue entry: probe this contract at this time, if the generation is still the contract's.</summary>
internal readonly record struct ScheduledProbe(long ContractId, long Generation, long DueTicks);
