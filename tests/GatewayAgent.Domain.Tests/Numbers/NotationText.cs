namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>A string over the alphabet of phone-number notations (digits of both widths, separators, + # *, a letter).</summary>
public sealed record NotationText(string Text);
