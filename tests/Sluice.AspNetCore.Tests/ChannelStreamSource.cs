using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// A provider the test writes to event by event, through a channel of one slot: a write completes only once the run has
/// taken the event before it, so a run that stops reading its provider shows as a write that does not complete (what
/// TCP backpressure looks like to a real provider). One run at a time; ending the writer ends the answer.
/// </summary>
internal sealed class ChannelStreamSource : IStreamSource
{
    private readonly Channel<StreamEvent> _channel = Channel.CreateBounded<StreamEvent>(new BoundedChannelOptions(1)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public string DefaultModel => "channel-model";

    /// <summary>The provider's side: write events, then complete.</summary>
    public ChannelWriter<StreamEvent> Writer => _channel.Writer;

    /// <summary>Whether an event waits in the slot, not yet taken by the run.</summary>
    public bool IsFull => _channel.Reader.Count > 0;

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var evt in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return evt;
        }
    }
}
