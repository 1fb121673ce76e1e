namespace GatewayAgent.Board;

/// <summary>The configured board could not be opened (no GPIO chip, no permission, a line in use...).</summary>
public sealed class BoardUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
