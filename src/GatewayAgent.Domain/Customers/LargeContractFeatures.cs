namespace GatewayAgent.Domain.Customers;

/// <summary>
/// What a contract with many numbers is offered on the settings site: the number search (BF-13) and the bulk CSV
/// settings (SS-12), both from <see cref="MinNumbers"/> numbers (the contract number and its additional numbers).
/// </summary>
public static class LargeContractFeatures
{
    public const int MinNumbers = 33;

    /// <summary>BF-13, SS-12: whether a contract of <paramref name="numberCount"/> numbers gets the search and the CSV settings.</summary>
    public static bool Offered(int numberCount) => numberCount >= MinNumbers;
}
