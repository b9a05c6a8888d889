"""Helpers shared by the training tests."""

from __future__ import annotations

#: What the datasets' READMEs say may train the shipped model (and nothing else may).
MAY_SHIP = {
    "youtube_spam", "davidson_hate_offensive", "jigsaw_sample", "civil_comments_toxic_spans",
    "civil_comments_test_sample_10k", "civil_comments_bucketed_4900", "wikipedia_talk_cat_large", "hatexplain",
    "stormfront_hate", "multilingual/zh_cold_train.csv", "multilingual/zh_cold_dev.csv",
    "multilingual/de_germeval2018.training.txt", "multilingual/pt_toldbr_train.csv",
    "multilingual/pt_toldbr_validation.csv", "multilingual/fr_mlma_nonhidden.csv",
    "multilingual/tr_offenseval2020_train.csv", "multilingual/ko_kmhas_valid.csv", "multilingual/ko_beep_train_dev.csv",
    "multilingual/ar_mlma.csv", "multilingual/ru_vk_distorted_toxicity.csv", "multilingual/fr_ftr_racism.csv",
}
