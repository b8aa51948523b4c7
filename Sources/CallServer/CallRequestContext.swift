import Foundation
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
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        let loopback = peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("::ffff:127.")
        guard behindProxy, loopback, let header = request.headers[values: .init("X-Forwarded-For")!].last,
              let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return peer }
        return String(last.prefix(64))
    }
}
