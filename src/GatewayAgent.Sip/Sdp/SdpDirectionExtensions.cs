using System.Diagnostics.CodeAnalysis;

namespace GatewayAgent.Sip.Sdp;

/// <summary>Helpers for <see cref="SdpDirection"/>: the attribute names and the answer's mirror image.</summary>
public static class SdpDirectionExtensions
{
    /// <summary>
    /// The direction an answer gives for an offered direction (RFC 3264 §6.1):
    /// sendonly becomes recvonly and back; sendrecv and inactive stay as they are.
    /// </summary>
    public static SdpDirection Reverse(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => SdpDirection.RecvOnly,
        SdpDirection.RecvOnly => SdpDirection.SendOnly,
        _ => direction,
    };

    /// <summary>Whether the party whose direction this is sends media.</summary>
    public static bool Sends(this SdpDirection direction) =>
        direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    /// <summary>Whether the party whose direction this is receives media.</summary>
    public static bool Receives(this SdpDirection direction) =>
        direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    /// <summary>The attribute name: <c>sendrecv</c>, <c>sendonly</c>, <c>recvonly</c> or <c>inactive</c>.</summary>
    public static string ToAttributeName(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>Reads a direction from an attribute name, case-insensitively.</summary>
    public static bool TryParse(string? attributeName, [NotNullWhen(true)] out SdpDirection? direction)
    {
        direction = attributeName?.ToLowerInvariant() switch
        {
            "sendrecv" => SdpDirection.SendRecv,
            "sendonly" => SdpDirection.SendOnly,
            "recvonly" => SdpDirection.RecvOnly,
            "inactive" => SdpDirection.Inactive,
            _ => null,
        };
        return direction is not null;
    }

    /// <summary>The last direction attribute in a list, or <see langword="null"/> when there is none.</summary>
    internal static SdpDirection? FromAttributes(IReadOnlyList<SdpAttribute> attributes)
    {
        SdpDirection? found = null;
        foreach (var attribute in attributes)
        {
            if (attribute.Value is null && TryParse(attribute.Name, out var direction))
            {
                found = direction;
            }
        }

        return found;
    }
}
