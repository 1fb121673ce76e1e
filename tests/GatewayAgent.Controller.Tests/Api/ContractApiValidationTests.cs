using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>Every rule the API enforces answers 400 problem+json naming the field and the rule, and saves nothing.</summary>
[Trait("Ring", "integration")]
public class ContractApiValidationTests(ControllerApiFactory factory) : IClassFixture<ControllerApiFactory>
{
    private static readonly Uri Contracts = new("/api/contracts", UriKind.Relative);

    internal static async Task AssertProblemAsync(HttpResponseMessage response, string field, string rule)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.Equal(rule, problem.RootElement.GetProperty("rule").GetString());
        Assert.Contains(
            problem.RootElement.GetProperty("errors").EnumerateArray(),
            e => e.GetProperty("field").GetString() == field && e.GetProperty("rule").GetString() == rule);
    }

    private async Task AssertRejectedAndNotSavedAsync(ContractDefinition definition, string field, string rule)
    {
        using var client = factory.CreateOperatorClient();
        var response = await client.PostAsJsonAsync(Contracts, definition);
        await AssertProblemAsync(response, field, rule);
        var all = await client.GetFromJsonAsync<List<ContractRecord>>(Contracts);
        Assert.DoesNotContain(all!, c => c.ContractNumber == definition.ContractNumber);
    }

    private static ContractDefinition Sample(string prefix) => ContractSamples.Monitored(prefix);

    private static ContractDefinition WithNotification(string prefix, Func<NotificationSettings, NotificationSettings> change)
    {
        var sample = Sample(prefix);
        return sample with { Notification = change(sample.Notification) };
    }

    [Theory]
    [InlineData("user@@example.jp", "exactly one @")]
    [InlineData("@example.jp", "start with @")]
    [InlineData("user@example.jp.", "end with @ or .")]
    [InlineData("user@", "end with @ or .")]
    [InlineData("userexample.jp", "exactly one @")]
    [InlineData("us er@example.jp", "not allowed")]
    [InlineData("user(x)@example.jp", "not allowed")]
    [InlineData("ユーザ@example.jp", "not allowed")]
    public async Task Recipient_address_breaking_FN_9_is_rejected(string address, string reason)
    {
        var definition = WithNotification("05101", n => n with { Recipients = [new RecipientEntry("ok@example.jp", true), new RecipientEntry(address, true)] });
        using var client = factory.CreateOperatorClient();
        var response = await client.PostAsJsonAsync(Contracts, definition);
        await AssertProblemAsync(response, "notification.recipients[1].address", "FN-9");
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain((await client.GetFromJsonAsync<List<ContractRecord>>(Contracts))!, c => c.ContractNumber == definition.ContractNumber);
    }

    [Fact]
    public async Task Addresses_with_every_allowed_symbol_pass_FN_9()
    {
        using var client = factory.CreateOperatorClient();
        var definition = WithNotification("05102", n => n with { Recipients = [new RecipientEntry("a-b_c.d!e$f%g'h*i+j/k?l^m#n@example.co.jp", true)] });
        var response = await client.PostAsJsonAsync(Contracts, definition);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Holder_name_over_20_full_width_characters_is_rejected_FN_10()
    {
        await AssertRejectedAndNotSavedAsync(
            WithNotification("05103", n => n with { HolderName = new string('あ', 21) }), "notification.holderName", "FN-10");
        await AssertRejectedAndNotSavedAsync(
            WithNotification("05104", n => n with { HolderName = new string('A', 41) }), "notification.holderName", "FN-10");
        await AssertRejectedAndNotSavedAsync(
            WithNotification("05105", n => n with { HolderName = new string('あ', 19) + "AB" + "C" }), "notification.holderName", "FN-10");
    }

    [Fact]
    public async Task Holder_name_of_exactly_20_full_width_or_40_half_width_characters_is_accepted_FN_10()
    {
        using var client = factory.CreateOperatorClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Contracts, WithNotification("05106", n => n with { HolderName = new string('株', 20) }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Contracts, WithNotification("05107", n => n with { HolderName = new string('a', 40) }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Contracts, WithNotification("05108", n => n with { SiteInformation = new string('ｶ', 64) }))).StatusCode);
    }

    [Fact]
    public async Task Site_information_over_32_full_width_characters_is_rejected_FN_10()
    {
        await AssertRejectedAndNotSavedAsync(
            WithNotification("05109", n => n with { SiteInformation = new string('本', 33) }), "notification.siteInformation", "FN-10");
        await AssertRejectedAndNotSavedAsync(
            WithNotification("05110", n => n with { SiteInformation = "本社\n3F" }), "notification.siteInformation", "FN-10");
    }

    [Fact]
    public async Task More_than_20_recipients_is_rejected_FN_8()
    {
        var recipients = Enumerable.Range(0, 21).Select(i => new RecipientEntry($"user{i}@example.jp", i % 2 == 0)).ToList();
        await AssertRejectedAndNotSavedAsync(WithNotification("05111", n => n with { Recipients = recipients }), "notification.recipients", "FN-8");

        using var client = factory.CreateOperatorClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Contracts, WithNotification("05112", n => n with { Recipients = recipients[..20] }))).StatusCode);
    }

    [Fact]
    public async Task More_than_1000_additional_numbers_is_rejected_naming_the_field_and_the_limit()
    {
        // Issue 12 item 12: a number list from the API is bounded (each number becomes a row and an edge table entry).
        static List<string> Numbers(string prefix, int count) =>
            [.. Enumerable.Range(0, count).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}{i:D5}"))];
        var tooMany = Sample("05128") with { AdditionalNumbers = [.. Numbers("05128", 1000), "0512845670"], Destinations = [] };
        using var client = factory.CreateOperatorClient();
        var refused = await client.PostAsJsonAsync(Contracts, tooMany);
        await AssertProblemAsync(refused, "additionalNumbers", "limit");
        Assert.Contains("at most 1000", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await client.PostAsJsonAsync(Contracts, Sample("05129") with { AdditionalNumbers = [.. Numbers("05129", 999), "0512945670"], Destinations = [] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var contract = await created.Content.ReadFromJsonAsync<ContractRecord>();
        Assert.Equal(1000, contract!.AdditionalNumbers!.Count);

        var put = await client.PutAsJsonAsync(
            new Uri($"/api/contracts/{contract.Id}/numbers", UriKind.Relative), new { additionalNumbers = Numbers("05129", 1001) });
        await AssertProblemAsync(put, "additionalNumbers", "limit");
    }

    [Theory]
    [InlineData("notification.serviceOn", true, false, false)]
    [InlineData("notification.autoStart", false, true, false)]
    [InlineData("notification.autoStop", false, false, true)]
    public async Task Service_start_auto_start_and_auto_stop_need_a_recipient_FN_14(string field, bool serviceOn, bool autoStart, bool autoStop)
    {
        await AssertRejectedAndNotSavedAsync(
            WithNotification("05113", n => n with { Recipients = [], ServiceOn = serviceOn, AutoStart = autoStart, AutoStop = autoStop }), field, "FN-14");
    }

    [Fact]
    public async Task Two_destinations_for_one_number_are_rejected_BF_2()
    {
        var sample = Sample("05114");
        await AssertRejectedAndNotSavedAsync(
            sample with { Destinations = [new DestinationEntry("0511445678", "0312340000"), new DestinationEntry("051-1445-678", "0312340001")] },
            "destinations[1].number",
            "BF-2");
    }

    [Fact]
    public async Task A_destination_for_a_number_outside_the_contract_is_rejected_BF_2()
    {
        await AssertRejectedAndNotSavedAsync(
            Sample("05115") with { Destinations = [new DestinationEntry("0399999999", "0312340000")] }, "destinations[0].number", "BF-2");
    }

    [Fact]
    public async Task The_monitoring_number_cannot_have_a_destination_BF_14()
    {
        // FN-12: the monitoring number cannot be a forward source.
        await AssertRejectedAndNotSavedAsync(
            Sample("05116") with { Destinations = [new DestinationEntry("0511645670", "0312340000")] }, "destinations[0].number", "BF-14");
    }

    [Theory]
    [InlineData("0120-123-456")]
    [InlineData("0800-123-4567")]
    [InlineData("0570-123-456")]
    [InlineData("0180-123-456")]
    [InlineData("110")]
    [InlineData("104")]
    [InlineData("00771234567")]
    [InlineData("0081-3-1234-5678")]
    [InlineData("010-1-212-555-0100")]
    [InlineData("060-1234-5678")]
    [InlineData("#8000")]
    public async Task Restricted_destinations_are_rejected_BF_9(string destination)
    {
        await AssertRejectedAndNotSavedAsync(
            Sample("05117") with { Destinations = [new DestinationEntry("0511745678", destination)] }, "destinations[0].destination", "BF-9");
    }

    [Fact]
    public async Task The_monitoring_number_must_be_one_of_the_contracts_numbers_FN_2()
    {
        await AssertRejectedAndNotSavedAsync(Sample("05118") with { MonitoringNumber = "0399999999" }, "monitoringNumber", "FN-2");
        await AssertRejectedAndNotSavedAsync(Sample("05119") with { MonitoringNumber = null }, "monitoringNumber", "FN-2");
    }

    [Fact]
    public async Task A_number_of_another_contract_is_rejected()
    {
        using var client = factory.CreateOperatorClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Contracts, Sample("05120"))).StatusCode);
        var clash = Sample("05121") with { AdditionalNumbers = ["0512145679", "0512145670", "0512045678"] };
        await AssertRejectedAndNotSavedAsync(clash, "additionalNumbers[2]", "unique");
    }

    [Fact]
    public async Task A_rejected_update_leaves_the_contract_as_it_was()
    {
        using var client = factory.CreateOperatorClient();
        var created = await (await client.PostAsJsonAsync(Contracts, Sample("05122"))).Content.ReadFromJsonAsync<ContractRecord>();
        var before = await client.GetStringAsync(new Uri($"/api/contracts/{created!.Id}", UriKind.Relative));

        var tooMany = Enumerable.Range(0, 21).Select(i => new RecipientEntry($"u{i}@example.jp", true)).ToList();
        await AssertProblemAsync(
            await client.PutAsJsonAsync(new Uri($"/api/contracts/{created.Id}/recipients", UriKind.Relative), tooMany), "notification.recipients", "FN-8");
        await AssertProblemAsync(
            await client.PutAsJsonAsync(
                new Uri($"/api/contracts/{created.Id}/notification", UriKind.Relative),
                created.Notification with { Recipients = [], ServiceOn = true }),
            "notification.serviceOn",
            "FN-14");
        await AssertProblemAsync(
            await client.PutAsJsonAsync(new Uri($"/api/contracts/{created.Id}/destinations/0512245670", UriKind.Relative), new { destination = "0312340000" }),
            "destinations[2].number",
            "BF-14");
        await AssertProblemAsync(
            await client.PutAsJsonAsync(new Uri($"/api/contracts/{created.Id}/destinations/0512245679", UriKind.Relative), new { destination = "0120444444" }),
            "destinations[1].destination",
            "BF-9");
        await AssertProblemAsync(
            await client.PutAsJsonAsync(new Uri($"/api/contracts/{created.Id}/numbers", UriKind.Relative), new { monitoringNumber = "0512245678" }),
            "destinations[0].number",
            "BF-14");
        await AssertProblemAsync(
            await client.PutAsJsonAsync(new Uri($"/api/contracts/{created.Id}/numbers", UriKind.Relative), new { monitoringNumber = "0600000000" }),
            "monitoringNumber",
            "FN-2");

        Assert.Equal(before, await client.GetStringAsync(new Uri($"/api/contracts/{created.Id}", UriKind.Relative)));
    }

    [Fact]
    public async Task A_test_mail_to_an_invalid_address_is_rejected_FN_9()
    {
        using var client = factory.CreateOperatorClient();
        var created = await (await client.PostAsJsonAsync(Contracts, Sample("05123"))).Content.ReadFromJsonAsync<ContractRecord>();

        var response = await client.PostAsJsonAsync(new Uri($"/api/contracts/{created!.Id}/test-mail", UriKind.Relative), new { address = "nobody@" });

        await AssertProblemAsync(response, "address", "FN-9");
        Assert.Empty((await client.GetFromJsonAsync<List<JsonElement>>(new Uri($"/api/contracts/{created.Id}/mails", UriKind.Relative)))!);
    }

    [Fact]
    public async Task Manual_start_without_destinations_is_rejected_BF_4()
    {
        using var client = factory.CreateOperatorClient();
        var created = await (await client.PostAsJsonAsync(Contracts, Sample("05124") with { Destinations = [] })).Content.ReadFromJsonAsync<ContractRecord>();

        var response = await client.PostAsJsonAsync(new Uri($"/api/contracts/{created!.Id}/forwarding/start", UriKind.Relative), new { note = "customer asked" });

        await AssertProblemAsync(response, "destinations", "BF-4");
        var stored = await client.GetFromJsonAsync<ContractRecord>(new Uri($"/api/contracts/{created.Id}", UriKind.Relative));
        Assert.False(stored!.Forwarding.On);
        Assert.Empty((await client.GetFromJsonAsync<List<JsonElement>>(new Uri($"/api/contracts/{created.Id}/forwarding/audit", UriKind.Relative)))!);
    }

    [Fact]
    public async Task An_operator_override_stop_needs_a_note_BF_11()
    {
        using var client = factory.CreateOperatorClient();
        var created = await (await client.PostAsJsonAsync(Contracts, Sample("05125"))).Content.ReadFromJsonAsync<ContractRecord>();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(new Uri($"/api/contracts/{created!.Id}/forwarding/start", UriKind.Relative), new { })).StatusCode);

        var response = await client.PostAsJsonAsync(new Uri($"/api/contracts/{created.Id}/forwarding/stop", UriKind.Relative), new { operatorOverride = true });

        await AssertProblemAsync(response, "note", "BF-11");
        Assert.True((await client.GetFromJsonAsync<ContractRecord>(new Uri($"/api/contracts/{created.Id}", UriKind.Relative)))!.Forwarding.On);
    }

    [Fact]
    public async Task Malformed_numbers_are_rejected_with_the_field()
    {
        await AssertRejectedAndNotSavedAsync(Sample("05126") with { ContractNumber = "12345" }, "contractNumber", "format");
        await AssertRejectedAndNotSavedAsync(Sample("05127") with { Channels = 0 }, "channels", "BF-6");
    }

    [Fact]
    public async Task Malformed_json_is_a_problem_response()
    {
        using var client = factory.CreateOperatorClient();
        using var content = new StringContent("{\"contractNumber\": ", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync(Contracts, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
