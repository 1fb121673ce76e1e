namespace GatewayAgent.Tests.Conformance;

/// <summary>Whether a corpus message must be answered, may be answered or dropped, or must be dropped.</summary>
internal enum Rfc4475Outcome
{
    /// <summary>A final response, with an allowed code, is required.</summary>
    Answered,

    /// <summary>Either no answer at all, or a final response with an allowed code.</summary>
    AnsweredOrDropped,

    /// <summary>Nothing at all may come back (not even a provisional response).</summary>
    Dropped,
}
