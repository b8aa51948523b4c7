/// Four-lane loads and stores on the extractor's per-bin buffers. The per-bin loops sum into
/// running totals, which the compiler will not vectorise by itself (it may not reorder float
/// additions), so they are written four bins at a time with four partial sums.
@inline(__always) func load4(_ base: UnsafeMutablePointer<Float>, _ index: Int) -> SIMD4<Float> {
    UnsafeRawPointer(base + index).loadUnaligned(as: SIMD4<Float>.self)
}

@inline(__always) func store4(_ value: SIMD4<Float>, _ base: UnsafeMutablePointer<Float>, _ index: Int) {
    UnsafeMutableRawPointer(base + index).storeBytes(of: value, as: SIMD4<Float>.self)
}

extension Decibels {
    /// `fastPowerToDB` on four values at once, with the same operations in the same order (so
    /// each lane gives the scalar function's result bit for bit).
    @inline(__always) static func fastPowerToDB(_ x: SIMD4<Float>) -> SIMD4<Float> {
        let bits = unsafeBitCast(x, to: SIMD4<UInt32>.self)
        let exponent = SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: (bits &>> 23) & 0xFF) &- 127)
        let m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: SIMD4<Float>.self)
        let c3: Float = 0.15824871, c2: Float = 1.05187502, c1: Float = 3.04788415, c0: Float = 2.15401603
        let log2m = ((c3 * m - c2) * m + c1) * m - c0
        return (exponent + log2m) * 3.0102999566
    }
}

// The standard library's pointwiseMin/Max are not inlined (they are generic over SIMD and loop
// over the lanes); a compare and select is one instruction each. NaN never reaches these: every
// input is a power or a decibel value.
@inline(__always) func min4(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> { a.replacing(with: b, where: b .< a) }
@inline(__always) func max4(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> { a.replacing(with: b, where: b .> a) }
@inline(__always) func abs4(_ a: SIMD4<Float>) -> SIMD4<Float> {
    unsafeBitCast(unsafeBitCast(a, to: SIMD4<UInt32>.self) & 0x7FFF_FFFF, to: SIMD4<Float>.self)
}

/// The sum of a buffer in four partial sums (one running sum is a chain of dependent additions).
@inline(__always) func sum4(_ x: UnsafeBufferPointer<Float>) -> Float {
    var lanes = SIMD4<Float>(), i = 0
    if let base = x.baseAddress {
        while i + 4 <= x.count {
            lanes += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Float>.self)
            i += 4
        }
    }
    var total = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
    while i < x.count { total += x[i]; i += 1 }
    return total
}
