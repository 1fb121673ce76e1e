namespace GatewayAgent.Controller.Detection;

/// <summary>The detector's two states, as stored and as published in ContractState.Detector.</summary>
public static class DetectorStates
{
    public const string Normal = "normal";
    public const string Failed = "failed";
}
