namespace GatewayAgent.Hosting;

/// <summary>
/// Which configuration section an options type is bound from ("Agent:Sip:Timers"), registered in the host's services by
/// AddOptionsSection (<see cref="OptionsSectionServiceCollectionExtensions"/>) so a validation failure can name
/// the full key the operator writes.
/// </summary>
public sealed record OptionsSection(Type OptionsType, string Path);
