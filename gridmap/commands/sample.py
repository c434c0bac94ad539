"""``gridmap sample -o DIR``: write the sample plan (a real town: Bao'an, Shenzhen) with its base
layers, the plan with deliberate errors, and the data's attribution and licence into a folder."""

from __future__ import annotations


def add_arguments(p) -> None:
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder to write the sample into (created if needed)")
    p.add_argument("--force", action="store_true", help="overwrite sample files already in DIR")


def run(args) -> int:
    from ..core.locations import SAMPLE_FILES, write_sample
    from ..core.messages import bi
    from . import UsageError

    try:
        plan = write_sample(args.output, force=args.force)
    except FileExistsError as exc:
        raise UsageError(f"{exc.filename}: " + bi("文件已存在，未覆盖（加 --force 覆盖）",
                                                  "file exists, not overwritten (--force overwrites)")) from None
    except FileNotFoundError as exc:
        raise UsageError(f"{exc.filename}: " + bi("安装中缺少示例方案", "the sample plan is missing from "
                                                  "this installation")) from None
    except OSError as exc:
        raise UsageError(f"{args.output}: " + bi("无法写入示例", "cannot write the sample")
                         + f" ({exc.strerror or exc})") from None
    print(bi("示例方案", "sample plan") + f": {plan}")
    print(bi("数据来源与许可见", "data attribution and licences")
          + f": {plan.parent / 'ATTRIBUTION.md'} (© OpenStreetMap contributors, ODbL 1.0)")
    print(bi("试一试", "try") + f": gridmap {plan}  |  gridmap check {plan.parent / SAMPLE_FILES[3]}")
    return 0
