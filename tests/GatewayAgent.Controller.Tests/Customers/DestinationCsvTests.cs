using GatewayAgent.Controller.Customers;

namespace GatewayAgent.Controller.Tests.Customers;

/// <summary>BF-12: the rows of the destination CSV, quoted as downloaded or bare as Excel saves them.</summary>
[Trait("Ring", "unit")]
public sealed class DestinationCsvTests
{
    [Theory]
    [InlineData("\"0312345678\",\"09012345678\"\r\n")]
    [InlineData("0312345678,09012345678\r\n")]
    [InlineData("\"0312345678\",09012345678\r\n")]
    [InlineData(" \"0312345678\" , 09012345678 \r\n")]
    [InlineData("0312345678,09012345678")] // the last row without CR+LF
    public void Quoted_and_bare_fields_read_alike_BF_12(string csv)
    {
        var (entries, lines, rows, violations) = DestinationCsv.Parse(csv);

        Assert.Empty(violations);
        Assert.Equal([new DestinationEntry("0312345678", "09012345678")], entries);
        Assert.Equal([1], lines);
        Assert.Equal(1, rows);
    }

    [Fact]
    public void Full_width_numbers_pass_through_for_the_validator_to_fold_BF_12()
    {
        var (entries, _, _, violations) = DestinationCsv.Parse("０３１２３４５６７８,０９０－１２３４－５６７８\r\n");

        Assert.Empty(violations);
        Assert.Equal([new DestinationEntry("０３１２３４５６７８", "０９０－１２３４－５６７８")], entries);
    }

    [Theory]
    [InlineData("0312345678,\r\n")]
    [InlineData("0312345678\r\n")]
    [InlineData("\"0312345678\",\"\"\r\n")]
    [InlineData("0312345678,,,\r\n")]
    public void A_row_without_a_destination_counts_as_a_row_with_none_BF_12(string csv)
    {
        var (entries, _, rows, violations) = DestinationCsv.Parse(csv);

        Assert.Empty(violations);
        Assert.Empty(entries);
        Assert.Equal(1, rows);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\r\n")]
    [InlineData(",\r\n,\r\n")]
    public void A_file_without_data_rows_has_zero_rows_BF_12(string csv)
    {
        var (entries, _, rows, violations) = DestinationCsv.Parse(csv);

        Assert.Empty(violations);
        Assert.Empty(entries);
        Assert.Equal(0, rows);
    }

    [Fact]
    public void Blank_rows_are_skipped_and_lines_keep_their_numbers_BF_12()
    {
        var (entries, lines, rows, violations) = DestinationCsv.Parse("0312345678,09012345678\r\n\r\n,\r\n0312345679,0667891234\r\n");

        Assert.Empty(violations);
        Assert.Equal(2, entries.Count);
        Assert.Equal([1, 4], lines);
        Assert.Equal(2, rows);
    }

    [Theory]
    [InlineData("\"0312345678\",\"0355550000\"\n", "csv[1]")] // LF only
    [InlineData("0312345678,0355550000\r\n\"03123\"45679,0355550000\r\n", "csv[2]")] // text after a closing quote
    [InlineData("03123\"45678,0355550000\r\n", "csv[1]")] // a quote inside a bare field
    [InlineData("\"0312345678,0355550000\r\n", "csv[1]")] // an unclosed quote
    [InlineData("0312345678,0355550000,0355550001\r\n", "csv[1]")] // a third column with a value
    [InlineData(",0355550000\r\n", "csv[1].source")]
    public void A_row_that_cannot_be_read_is_named_by_its_line_BF_12(string csv, string field)
    {
        var (_, _, _, violations) = DestinationCsv.Parse(csv);

        var violation = Assert.Single(violations);
        Assert.Equal((field, "BF-12"), (violation.Field, violation.Rule));
    }

    [Fact]
    public void Format_quotes_every_field_and_parses_back_BF_12()
    {
        var contract = new ContractRecord
        {
            Id = 1,
            ContractNumber = "0312345678",
            AdditionalNumbers = ["0312345679"],
            Channels = 1,
            Destinations = [new DestinationEntry("0312345679", "09012345678")],
            Notification = new NotificationSettings(),
            Detector = new DetectorView("normal", 0, 0, null),
            Forwarding = new ForwardingView(false, null, null),
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        var csv = DestinationCsv.Format(contract);

        Assert.Equal("\"0312345678\",\"\"\r\n\"0312345679\",\"09012345678\"\r\n", csv);
        Assert.Equal(contract.Destinations, DestinationCsv.Parse(csv).Entries);
    }
}
