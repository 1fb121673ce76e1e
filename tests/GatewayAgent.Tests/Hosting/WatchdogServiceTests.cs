using System.Threading.Channels;
using GatewayAgent.Hosting.Watchdog;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Tests.Hosting;

/// <summary>The watchdog vouches for the agent only while its health checks pass in time (the clock is fake).</summary>
[Trait("Ring", "unit")]
public sealed class WatchdogServiceTests
{
    private static readonly TimeSpan WatchdogTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Healthy_PingsOnStartAndEveryHalfTimeout()
    {
        await using var rig = await Rig.StartAsync();

        Assert.Equal("WATCHDOG=1", await rig.NextAsync());
        rig.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("WATCHDOG=1", await rig.NextAsync());
        rig.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("WATCHDOG=1", await rig.NextAsync());
    }

    [Fact]
    public async Task NoPing_BeforeTheHostHasStarted()
    {
        await using var rig = await Rig.StartAsync(notifyStarted: false);

        rig.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(rig.Received.TryRead(out _));
        rig.Lifetime.NotifyStarted();
        Assert.Equal("WATCHDOG=1", await rig.NextAsync());
    }

    [Fact]
    public async Task Unhealthy_StopsPinging_SaysWhy_AndResumesWhenHealthy()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal("WATCHDOG=1", await rig.NextAsync());

        rig.Check.Problem = "0 of 2 SIP listeners bound";
        rig.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("STATUS=unhealthy: test: 0 of 2 SIP listeners bound", await rig.NextAsync());
        rig.Time.Advance(TimeSpan.FromSeconds(15));
        await rig.Check.Ran(3).WaitAsync(Wait);
        Assert.False(rig.Received.TryRead(out var extra), extra);

        rig.Check.Problem = null;
        rig.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("WATCHDOG=1", await rig.NextAsync());
        Assert.Equal("STATUS=healthy", await rig.NextAsync());
    }

    [Fact]
    public async Task HungCheck_CountsAsUnhealthy()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal("WATCHDOG=1", await rig.NextAsync());

        rig.Check.Hang = true;
        rig.Time.Advance(TimeSpan.FromSeconds(15));
        await rig.Check.Ran(2).WaitAsync(Wait);
        rig.Time.Advance(WatchdogTimeout / 4);
        Assert.Equal("STATUS=unhealthy: test: no answer within 7500 ms", await rig.NextAsync());
    }

    [Theory]
    [InlineData("30000000", null, 30)]
    [InlineData("30000000", "4242", 30)]
    [InlineData("500000", "", 0.5)]
    public void Settings_FromEnvironment(string usec, string? pid, double seconds)
    {
        var settings = WatchdogSettings.FromEnvironment(usec, pid, 4242);

        Assert.NotNull(settings);
        Assert.Equal(TimeSpan.FromSeconds(seconds), settings.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(seconds / 2), settings.PingInterval);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("abc", null)]
    [InlineData("30000000", "999")]
    public void Settings_NoWatchdog_WhenUnsetInvalidOrForAnotherProcess(string? usec, string? pid)
    {
        Assert.Null(WatchdogSettings.FromEnvironment(usec, pid, 4242));
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly Channel<string> _states = Channel.CreateUnbounded<string>();

        public bool IsEnabled => true;

        public ChannelReader<string> Reader => _states.Reader;

        public void Notify(ServiceState state) => _states.Writer.TryWrite(state.ToString());
    }

    private sealed class ScriptedCheck : IWatchdogHealthCheck
    {
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
        private int _runs;

        public string Name => "test";

        public string? Problem { get; set; }

        public bool Hang { get; set; }

        /// <summary>Completes once the check has run <paramref name="count"/> times.</summary>
        public Task Ran(int count)
        {
            lock (_gate)
            {
                if (_runs >= count)
                {
                    return Task.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, done));
                return done.Task;
            }
        }

        public async ValueTask<string?> CheckAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _runs++;
                foreach (var waiter in _waiters.Where(w => w.Count <= _runs).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }

            if (Hang)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return Problem;
        }
    }

    private sealed class Rig : IAsyncDisposable
    {
        private readonly WatchdogService _service;
        private readonly RecordingNotifier _notifier;

        private Rig(WatchdogService service, RecordingNotifier notifier, FakeTimeProvider time, ApplicationLifetime lifetime, ScriptedCheck check)
        {
            _service = service;
            _notifier = notifier;
            Time = time;
            Lifetime = lifetime;
            Check = check;
        }

        public FakeTimeProvider Time { get; }

        public ApplicationLifetime Lifetime { get; }

        public ScriptedCheck Check { get; }

        public ChannelReader<string> Received => _notifier.Reader;

        public static async Task<Rig> StartAsync(bool notifyStarted = true)
        {
            var time = new FakeTimeProvider();
            var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
            var check = new ScriptedCheck();
            var notifier = new RecordingNotifier();
            var service = new WatchdogService(notifier, new WatchdogSettings(WatchdogTimeout), [check], lifetime, time, NullLogger<WatchdogService>.Instance);
            await service.StartAsync(CancellationToken.None);
            if (notifyStarted)
            {
                lifetime.NotifyStarted();
            }

            return new Rig(service, notifier, time, lifetime, check);
        }

        public async Task<string> NextAsync() => await Received.ReadAsync().AsTask().WaitAsync(Wait);

        public async ValueTask DisposeAsync()
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
        }
    }
}
