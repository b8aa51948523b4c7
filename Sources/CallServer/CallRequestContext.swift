import Foundation
#if canImport(Glibc)
import Glibc
#endif
public import Hummingbird
public import NIOCore

/// Each request's context: Hummingbird's basic one plus the peer's address, which login limits
/// count failures by.
public struct CallRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension CallServer {
    /// Who is asking, for login limits. Behind a reverse proxy on this machine every connection
    /// comes from loopback, so with `behindProxy` the last X-Forwarded-For entry (the one the proxy
    /// added) names the client; from anywhere else the header is ignored, since a client can
    /// write whatever it likes there.
    func clientAddress(_ request: Request, _ context: CallRequestContext) -> String {
        let peer = Self.addressKey(context.remoteAddress?.ipAddress ?? "unknown")
        let loopback = peer == "127.0.0.1" || context.remoteAddress?.ipAddress == "::1"
        guard behindProxy, loopback, let header = request.headers[values: .init("X-Forwarded-For")!].last,
              let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return peer }
        return Self.addressKey(String(last.prefix(64)))
    }

    /// IPv4 as written; IPv6 by its /64 network (one subscriber gets a whole /64, so counting
    /// single addresses would let one client rotate through them); IPv4-mapped IPv6 as IPv4.
    static func addressKey(_ address: String) -> String {
        if address.lowercased().hasPrefix("::ffff:"), address.contains(".") { return String(address.dropFirst(7)) }
        var bytes = [UInt8](repeating: 0, count: 16)
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        return stride(from: 0, to: 8, by: 2).map { String(format: "%02x%02x", bytes[$0], bytes[$0 + 1]) }.joined(separator: ":") + "::/64"
    }
}
