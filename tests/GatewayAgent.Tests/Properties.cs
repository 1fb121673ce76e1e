// The integration tests start real processes on fixed loopback ports and share the machine's two cores:
// they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
