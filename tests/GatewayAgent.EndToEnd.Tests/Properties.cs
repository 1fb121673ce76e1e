// Each test runs a controller and agent processes on real sockets: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
