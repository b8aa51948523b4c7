import Foundation

extension AudioDecoder {
    /// Peak magnitude per column of a recording, per channel: the waveform picture's envelope.
    /// Streams the file; memory is `columns` floats per channel.
    public static func peaks(path: String, columns: Int) throws(DecodeError) -> [[Float]] {
        let decoder = try AudioDecoder(path: path)
        let total = max(1, decoder.info.declaredFrameCount)
        var peaks = [[Float]](repeating: [Float](repeating: 0, count: columns), count: decoder.info.channelCount)
        var block: [[Float]] = []
        var position = 0
        while true {
            let n = try decoder.readBlock(into: &block)
            if n == 0 { break }
            for c in peaks.indices {
                block[c].withUnsafeBufferPointer { x in
                    for i in 0..<n {
                        let column = min(columns - 1, (position + i) * columns / total)
                        let m = abs(x[i])
                        if m > peaks[c][column] { peaks[c][column] = m }
                    }
                }
            }
            position += n
        }
        return peaks
    }
}
