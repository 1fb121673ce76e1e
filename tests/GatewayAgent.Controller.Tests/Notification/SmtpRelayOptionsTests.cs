using System.ComponentModel.DataAnnotations;
using GatewayAgent.Controller.Notification;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>Controller:Mail:Smtp validation: a relay password never crosses the network in plain text unasked (issue 12 item 13).</summary>
[Trait("Ring", "unit")]
public sealed class SmtpRelayOptionsTests
{
    [Fact]
    public void A_password_with_security_none_is_refused_naming_the_key_and_the_way_out()
    {
        var problems = Validate(new SmtpRelayOptions
        {
            Host = "smtp.example.jp", Security = SmtpSecurity.None, Username = "notify", Password = "secret", From = "notify@example.jp",
        });

        var problem = Assert.Single(problems);
        Assert.Contains("Controller:Mail:Smtp:Password", problem, StringComparison.Ordinal);
        Assert.Contains("Controller:Mail:Smtp:Security=none", problem, StringComparison.Ordinal);
        Assert.Contains("Controller:Mail:Smtp:AllowPlaintextPassword=true", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SmtpSecurity.StartTls, "secret", false)]
    [InlineData(SmtpSecurity.Tls, "secret", false)]
    [InlineData(SmtpSecurity.None, "secret", true)]
    [InlineData(SmtpSecurity.None, null, false)]
    public void Encryption_an_explicit_allowance_or_no_password_is_accepted(SmtpSecurity security, string? password, bool allow)
    {
        var problems = Validate(new SmtpRelayOptions
        {
            Host = "smtp.example.jp", Security = security, Password = password, From = "notify@example.jp", AllowPlaintextPassword = allow,
        });

        Assert.Empty(problems);
    }

    private static List<string> Validate(SmtpRelayOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
