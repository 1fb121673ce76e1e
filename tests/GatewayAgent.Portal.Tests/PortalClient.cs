using System.Net;
using System.Text.RegularExpressions;

namespace GatewayAgent.Portal.Tests;

/// <summary>
/// A browser-like HTTP client of the site: its own cookies, no automatic redirects (the tests look at each one), and the
/// antiforgery token of the last page read, posted back with each form as a browser would.
/// </summary>
public sealed partial class PortalClient : IDisposable
{
    private readonly HttpClient _http;

    public PortalClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    /// <summary>The antiforgery token of the last page read (null when it had no form).</summary>
    public string? Token { get; private set; }

    public string LastHtml { get; private set; } = "";

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        await ReadAsync(response);
        return response;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string> fields, bool withToken = true, string? token = null)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken)
        {
            form["__RequestVerificationToken"] = token ?? Token ?? throw new InvalidOperationException("no antiforgery token read yet");
        }

        var response = await _http.PostAsync(path, new FormUrlEncodedContent(form));
        await ReadAsync(response);
        return response;
    }

    /// <summary>Posts a multipart form with one file field, as a browser's file upload does (with the antiforgery token).</summary>
    public async Task<HttpResponseMessage> PostFileAsync(string path, IReadOnlyDictionary<string, string> fields, string fileField, string fileName, byte[] file)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new StringContent(Token ?? throw new InvalidOperationException("no antiforgery token read yet")), "__RequestVerificationToken");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(content, fileField, fileName);
        var response = await _http.PostAsync(path, form);
        await ReadAsync(response);
        return response;
    }

    /// <summary>Posts a multipart form with one file named upload.csv.</summary>
    public Task<HttpResponseMessage> PostFileAsync(string path, string fileField, byte[] file, IReadOnlyDictionary<string, string> fields) =>
        PostFileAsync(path, fields, fileField, "upload.csv", file);

    /// <summary>A download: the response with its body unread as text.</summary>
    public Task<HttpResponseMessage> DownloadAsync(string path) => _http.GetAsync(path);

    /// <summary>The bytes of a GET (a download).</summary>
    public async Task<(HttpResponseMessage Response, byte[] Bytes)> DownloadBytesAsync(string path)
    {
        var response = await _http.GetAsync(path);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Reads the login page, then posts the number and password.</summary>
    public async Task<HttpResponseMessage> LoginAsync(string number, string password)
    {
        await GetAsync("/Account/Login");
        return await PostAsync("/Account/Login", new Dictionary<string, string> { ["Number"] = number, ["Password"] = password });
    }

    /// <summary>Reads the change page of <paramref name="target"/> (or the login's own), then posts current + new twice with the version it showed.</summary>
    public async Task<HttpResponseMessage> ChangePasswordAsync(string current, string next, string? target = null, string? confirm = null)
    {
        await GetAsync("/Account/ChangePassword" + (target is null ? "" : "?number=" + target));
        return await PostChangeAsync(current, next, FormVersion(), Field("Target"), confirm);
    }

    public Task<HttpResponseMessage> PostChangeAsync(string current, string next, string version, string target, string? confirm = null, string? token = null) =>
        PostAsync("/Account/ChangePassword", new Dictionary<string, string>
        {
            ["Target"] = target,
            ["CurrentPassword"] = current,
            ["NewPassword"] = next,
            ["ConfirmPassword"] = confirm ?? next,
            ["FormVersion"] = version,
        }, token: token);

    /// <summary>SS-7: reads the choice page and declines the one-time password with the agree.</summary>
    public async Task<HttpResponseMessage> DeclineOtpAsync()
    {
        await GetAsync("/Account/Otp/Choice");
        return await PostAsync("/Account/Otp/Choice", new Dictionary<string, string>
        {
            ["Usage"] = "decline",
            ["Agree"] = "true",
            ["FormVersion"] = FormVersion(),
        });
    }

    /// <summary>The FormVersion hidden field of the last page read (SS-11).</summary>
    public string FormVersion() => Field("FormVersion");

    public string Field(string name)
    {
        var match = Regex.Match(LastHtml, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(match.Success, $"no field {name} in:\n{LastHtml}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public void Dispose() => _http.Dispose();

    private async Task ReadAsync(HttpResponseMessage response)
    {
        LastHtml = await response.Content.ReadAsStringAsync();
        var match = TokenPattern().Match(LastHtml);
        if (match.Success)
        {
            Token = WebUtility.HtmlDecode(match.Groups[1].Value);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
