using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/GatewayAgent.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(GatewayAgent.Benchmarks.SipMessageBenchmarks).Assembly).Run(args);
