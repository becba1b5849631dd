#!/usr/bin/env python3
"""Generates a seeded hard set of QR photos-alike for the decoding benchmark.

Each image is a QR code with a realistic payload (CCCD strings with Vietnamese
names, visitor passes, venue codes, URLs, DCC-like Base45 text), rendered at
1.5-6 px per module and put through a random mix of: perspective tilt,
rotation, blur, sensor noise, low contrast, lighting gradient, glare, JPEG
quality 15-60, and inversion (light-on-dark). Writes `NNN.png|jpg` with the
expected text in `NNN.txt` (UTF-8) and a `manifest.tsv` of distortions.

Usage: gen_hardset.py OUT_DIR [--count N] [--seed S]
"""
import argparse
import os

import cv2
import numpy as np
import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu", "Hồng", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hương", "Khánh", "Linh", "Lộc", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Đạt", "Ánh"]
PLACES = [
    "Số 12 Ngõ 34 Phố Huế, Phường Phạm Đình Hổ, Quận Hai Bà Trưng, Hà Nội",
    "Thôn Đông, Xã Tân Lập, Huyện Đan Phượng, Hà Nội",
    "Ấp 3, Xã Phước Vĩnh An, Huyện Củ Chi, TP. Hồ Chí Minh",
    "Tổ 5, Phường Hòa Khánh Bắc, Quận Liên Chiểu, Đà Nẵng",
    "Khóm 2, Phường 7, Thành phố Cà Mau, Cà Mau",
    "Bản Pá Khoang, Xã Mường Phăng, Huyện Điện Biên, Điện Biên",
]
B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def payload(rng):
    kind = rng.choice(["cccd", "cccd", "cccd", "pass", "venue", "url", "dcc", "text"])
    if kind == "cccd":
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if rng.random() < 0.5:
            name = name.upper()
        pid = "0" + "".join(str(rng.integers(0, 10)) for _ in range(11))
        old = "".join(str(rng.integers(0, 10)) for _ in range(9)) if rng.random() < 0.6 else ""
        d = lambda: f"{rng.integers(1, 29):02d}{rng.integers(1, 13):02d}{rng.integers(1940, 2022)}"
        g = rng.choice(["Nam", "Nữ"])
        return f"{pid}|{old}|{name}|{d()}|{g}|{rng.choice(PLACES)}|{d()}"
    if kind == "pass":
        return "CKP1:" + "".join(rng.choice(list(B64), size=int(rng.integers(90, 140))))
    if kind == "venue":
        return f"CKV1:{rng.integers(1, 96):02d}-{rng.integers(0, 99999):05d}-" + "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ"), size=2))
    if kind == "url":
        return "https://tokhaiyte.vn/qr?v=" + "".join(rng.choice(list(B64), size=int(rng.integers(10, 40))))
    if kind == "dcc":
        return "HC1:" + "".join(rng.choice(list(B45), size=int(rng.integers(250, 420))))
    return f"Phòng khám số {rng.integers(1, 20)} - Trạm Y tế xã {rng.choice(GIVEN)}"


def render(text, rng):
    ecc = rng.choice([ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H])
    qr = qrcode.QRCode(error_correction=int(ecc), box_size=1, border=4)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    m = np.array(qr.get_matrix(), dtype=np.uint8)  # 1 = dark
    return m


def make_image(rng, idx):
    text = payload(rng)
    m = render(text, rng)
    n = m.shape[0]
    tags = []
    # Module size: a third of the set at 1.5-3 px, the rest 3-6 px.
    if rng.random() < 0.35:
        module = rng.uniform(1.5, 3.0)
        tags.append(f"small{module:.1f}")
    else:
        module = rng.uniform(3.0, 6.0)
    side = n * module
    W, H = 640, 480
    if side > min(W, H) * 0.95:
        module = min(W, H) * 0.95 / n
        side = n * module
    dark, light = 20.0, 235.0
    if rng.random() < 0.3:
        dark, light = rng.uniform(70, 120), rng.uniform(140, 185)
        tags.append("lowcontrast")
    # The code, upsampled with area interpolation from a hi-res render.
    hi = 8
    big = np.kron(1 - m, np.ones((hi, hi), dtype=np.uint8)).astype(np.float32)
    code = big * (light - dark) + dark
    # Corner destination: centred, rotated, tilted.
    cx, cy = rng.uniform(side / 2 + 10, W - side / 2 - 10), rng.uniform(side / 2 + 10, H - side / 2 - 10)
    ang = 0.0
    if rng.random() < 0.6:
        ang = rng.uniform(0, 2 * np.pi)
        tags.append(f"rot{np.degrees(ang):.0f}")
    half = side / 2
    pts = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    if rng.random() < 0.5:
        # Perspective: shrink one edge (tilt up to ~40 degrees).
        k = rng.uniform(0.05, 0.25)
        e = rng.integers(0, 4)
        a, b = e, (e + 1) % 4
        for i in (a, b):
            pts[i] *= 1 - k
        tags.append(f"tilt{k:.2f}")
    c, s = np.cos(ang), np.sin(ang)
    rot = pts @ np.array([[c, s], [-s, c]])
    dst = (rot + [cx, cy]).astype(np.float32)
    # Keep inside the frame.
    dst[:, 0] = np.clip(dst[:, 0], 2, W - 3)
    dst[:, 1] = np.clip(dst[:, 1], 2, H - 3)
    src = np.array([[0, 0], [big.shape[1], 0], [big.shape[1], big.shape[0]], [0, big.shape[0]]], dtype=np.float32)
    Mx = cv2.getPerspectiveTransform(src, dst)
    bg_level = rng.uniform(min(light, 200) - 40, min(light, 200))
    bg = np.full((H, W), bg_level, dtype=np.float32)
    bg += cv2.GaussianBlur(rng.normal(0, 25, (H, W)).astype(np.float32), (0, 0), 12)
    mask = cv2.warpPerspective(np.ones_like(code), Mx, (W, H), flags=cv2.INTER_AREA)
    warped = cv2.warpPerspective(code, Mx, (W, H), flags=cv2.INTER_AREA)
    img = bg * (1 - mask) + warped * mask
    if rng.random() < 0.35:
        # Lighting gradient (multiplicative), e.g. a lamp from one side.
        gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        g = 1 + rng.uniform(0.3, 0.6) * ((xx / W - 0.5) * gx + (yy / H - 0.5) * gy)
        img *= g
        tags.append("gradient")
    if rng.random() < 0.25:
        # Glare: a soft bright ellipse on the code.
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        gx, gy = cx + rng.uniform(-half, half), cy + rng.uniform(-half, half)
        r = rng.uniform(0.15, 0.35) * side
        glare = np.exp(-(((xx - gx) ** 2) + ((yy - gy) ** 2) * rng.uniform(0.5, 2)) / (2 * r * r))
        img = img + glare * rng.uniform(60, 120)
        tags.append("glare")
    if rng.random() < 0.35:
        sigma = rng.uniform(0.4, 1.0) * max(module / 3, 0.6)
        img = cv2.GaussianBlur(img, (0, 0), sigma)
        tags.append(f"blur{sigma:.1f}")
    if rng.random() < 0.4:
        sd = rng.uniform(4, 14)
        img = img + rng.normal(0, sd, img.shape)
        tags.append(f"noise{sd:.0f}")
    img = np.clip(img, 0, 255)
    if rng.random() < 0.12:
        img = 255 - img
        tags.append("inverted")
    img = img.astype(np.uint8)
    if rng.random() < 0.5:
        q = int(rng.integers(15, 61))
        tags.append(f"jpeg{q}")
        return text, ".jpg", cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])[1].tobytes(), tags
    return text, ".png", cv2.imencode(".png", img)[1].tobytes(), tags


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20261123)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    with open(os.path.join(a.out, "manifest.tsv"), "w", encoding="utf-8") as man:
        for i in range(a.count):
            text, ext, data, tags = make_image(rng, i)
            stem = os.path.join(a.out, f"{i:03d}")
            with open(stem + ext, "wb") as f:
                f.write(data)
            with open(stem + ".txt", "w", encoding="utf-8") as f:
                f.write(text)
            man.write(f"{i:03d}{ext}\t{','.join(tags)}\n")
    print(f"wrote {a.count} images to {a.out} (seed {a.seed})")


if __name__ == "__main__":
    main()
