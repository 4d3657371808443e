using System.Buffers;
using System.Text;
using Sluice.AspNetCore.Dialects;
using Sluice.TestSupport;

namespace Sluice.AspNetCore.Tests.Dialects;

/// <summary>
/// Each dialect's exact frames for the recorded runs, compared byte for byte with the golden files in
/// Dialects/Golden/{dialect}/{run}.sse. A deliberate change of the encoding rewrites them with
/// <c>SLUICE_UPDATE_GOLDEN=1</c>; the diff is then the review.
/// </summary>
public sealed class DialectGoldenTests
{
    public static TheoryData<string> Runs => RecordedRuns.Names;

    [Theory]
    [MemberData(nameof(Runs))]
    public void AiSdk_FramesMatchGolden(string run) =>
        AssertGolden("ai-sdk", run, Encode(new AiSdkFrameWriter("msg-golden"), run));

    [Theory]
    [MemberData(nameof(Runs))]
    public void AgUi_FramesMatchGolden(string run) =>
        AssertGolden("ag-ui", run, Encode(new AgUiFrameWriter("thread-1", "run-1", "msg-golden"), run));

    [Fact]
    public void AgUi_FramesUseLineFeedsOnly_EvenWhenTheContentHasCarriageReturns()
    {
        var frames = Encode(new AgUiFrameWriter("thread-1", "run-1", "msg-golden"), "text");
        Assert.DoesNotContain('\r', frames);
        Assert.All(frames.Split("\n\n", StringSplitOptions.RemoveEmptyEntries), frame => Assert.StartsWith("id: ", frame, StringComparison.Ordinal));
    }

    [Fact]
    public void AiSdk_EveryStreamEndsWithFinishOrError_ThenDone()
    {
        foreach (var run in RecordedRuns.All.Keys)
        {
            var frames = Encode(new AiSdkFrameWriter("msg-golden"), run);
            Assert.EndsWith("data: [DONE]\n\n", frames, StringComparison.Ordinal);
            var last = frames[..^"data: [DONE]\n\n".Length].TrimEnd('\n').Split('\n')[^1];
            Assert.True(last.StartsWith("data: {\"type\":\"finish\"", StringComparison.Ordinal) || last.StartsWith("data: {\"type\":\"error\"", StringComparison.Ordinal), $"{run}: {last}");
        }
    }

    [Fact]
    public void Shutdown_SaysTheAnswerIsNotComplete_InEachDialect()
    {
        var output = new ArrayBufferWriter<byte>();
        new AiSdkFrameWriter("m").WriteShutdown(output);
        new AgUiFrameWriter("t", "r", "m").WriteShutdown(output);
        Assert.Equal(
            "data: {\"type\":\"error\",\"errorText\":\"The gateway is restarting; resume the stream to get the rest of this answer.\"}\n\n"
            + "data: {\"type\":\"RUN_ERROR\",\"message\":\"The gateway is restarting; resume the run to get the rest of this answer.\",\"code\":\"shutting_down\"}\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static string Encode(StreamFrameWriter writer, string run)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var evt in RecordedRuns.All[run])
        {
            writer.Write(output, evt);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void AssertGolden(string dialect, string run, string actual)
    {
        var path = RepositoryPaths.Combine("tests", "Sluice.AspNetCore.Tests", "Dialects", "Golden", dialect, run + ".sse");
        if (Environment.GetEnvironmentVariable("SLUICE_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        Assert.True(File.Exists(path), $"No golden file {path}; run with SLUICE_UPDATE_GOLDEN=1 to create it, then review it.");
        Assert.Equal(File.ReadAllText(path, Encoding.UTF8), actual);
    }
}
