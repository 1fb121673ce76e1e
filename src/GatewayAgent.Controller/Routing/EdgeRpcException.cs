namespace GatewayAgent.Controller.Routing;

/// <summary>An edge did not answer a JSON-RPC call, or answered it with an error.</summary>
public sealed class EdgeRpcException : Exception
{
    public EdgeRpcException()
    {
    }

    public EdgeRpcException(string message)
        : base(message)
    {
    }

    public EdgeRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
