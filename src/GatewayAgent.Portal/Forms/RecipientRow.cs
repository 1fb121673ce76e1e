namespace GatewayAgent.Portal.Forms;

/// <summary>One recipient row of the notification form (FN-8): the address and its send flag; a blank address is no recipient.</summary>
public sealed class RecipientRow
{
    public string? Address { get; set; }

    public bool Send { get; set; }
}
