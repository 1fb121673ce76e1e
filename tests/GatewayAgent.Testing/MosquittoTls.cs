namespace GatewayAgent.Testing;

/// <summary>PEM files for a mosquitto TLS listener: the CA that signs client certificates, the broker's certificate and key.</summary>
public sealed record MosquittoTls(string CaFile, string CertificateFile, string KeyFile);
