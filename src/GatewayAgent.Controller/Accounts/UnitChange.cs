using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// SS-9: a change of authentication unit as the site's form submits it: the login making it, the unit wanted, the
/// passwords entered by number (the login's own, or every number's from the number unit), and the version of the
/// contract's accounts the form showed (SS-11, <see cref="PortalAccountStore.AccountsVersion"/>).
/// </summary>
public sealed record UnitChange(string ActorNumber, AuthenticationUnit To, IReadOnlyDictionary<string, string> Passwords, long ExpectedVersion);
