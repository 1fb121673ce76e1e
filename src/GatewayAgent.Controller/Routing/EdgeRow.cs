namespace GatewayAgent.Controller.Routing;

/// <summary>One row of an edge view: the key, its value and the contract it belongs to.</summary>
public readonly record struct EdgeRow(EdgeTable Table, string Key, string Value, long ContractId);
