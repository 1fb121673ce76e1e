namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// The <see cref="ResponseForm"/>s in use, one instance each, shared by every compact record answered alike (an agent
/// sends a handful: 200 to BYE and OPTIONS, 481, 486, 405...). Bounded: past <see cref="MaxForms"/> distinct forms a
/// new one is not kept, and its records keep their response's bytes as before.
/// </summary>
internal sealed class ResponseForms
{
    internal const int MaxForms = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<ResponseForm, ResponseForm> _forms = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _forms.Count;
            }
        }
    }

    /// <summary>The shared instance equal to <paramref name="form"/>; null for null, or when the table is full.</summary>
    public ResponseForm? Intern(ResponseForm? form)
    {
        if (form is null)
        {
            return null;
        }

        lock (_gate)
        {
            if (_forms.TryGetValue(form, out var shared))
            {
                return shared;
            }

            if (_forms.Count >= MaxForms)
            {
                return null;
            }

            _forms.Add(form, form);
            return form;
        }
    }
}
