using Sluice.Client;
using Sluice.Components;

namespace Sluice.Web;

/// <summary>One exchange: what the person asked, and the answer as it streams.</summary>
internal sealed class ChatTurn(string prompt)
{
    public string Prompt { get; } = prompt;

    public MessageState Answer { get; } = new();

    /// <summary>The rendered answer, told about each change; it renders at most once per animation frame.</summary>
    public AssistantMessage? View { get; set; }

    /// <summary>The stream carrying the answer, while it runs.</summary>
    public SluiceStream? Stream { get; set; }

    public void Changed() => View?.NotifyChanged();
}
