namespace GatewayAgent.Sip.Transport;

/// <summary>Receives what the transport layer read; the transaction layer implements it.</summary>
public interface ISipMessageHandler
{
    /// <summary>Called once per framed message; must not throw and should not block (hand long work off).</summary>
    void OnMessage(IncomingMessage message);
}
