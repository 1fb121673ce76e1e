namespace GatewayAgent.Cli.Provisioning;

/// <summary>The flags given to "gateway-agent provision", as flag name → values in order (switches have "true").</summary>
public sealed class ProvisionArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private ProvisionArguments()
    {
    }

    public bool Has(string flag) => _values.ContainsKey(flag);

    public string? Single(string flag) => _values.TryGetValue(flag, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Many(string flag) => _values.TryGetValue(flag, out var list) ? list : [];

    /// <summary>Parses <c>--flag value</c> and <c>--flag=value</c>; switches take no value (or <c>=true|false</c>).</summary>
    /// <exception cref="ProvisionException">an unknown flag, a missing value, a repeated single flag.</exception>
    public static ProvisionArguments Parse(IReadOnlyList<string> args)
    {
        var result = new ProvisionArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ProvisionException($"unexpected argument '{arg}' (flags start with --; see --help)");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            var flag = ProvisionFlags.Find(name) ?? throw new ProvisionException($"unknown flag --{name} (see --help)");
            string value;
            if (flag.Value is null)
            {
                value = equals < 0 ? "true" : arg[(equals + 1)..];
                if (value is not ("true" or "false"))
                {
                    throw new ProvisionException($"--{name} takes no value (or =true / =false), not '{value}'");
                }
            }
            else if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new ProvisionException($"--{name} needs a value ({flag.Value})");
            }

            if (!result._values.TryGetValue(name, out var list))
            {
                result._values[name] = list = [];
            }
            else if (!flag.Repeatable)
            {
                throw new ProvisionException($"--{name} given twice");
            }

            list.Add(value);
        }

        return result;
    }
}
